from django.apps import AppConfig


class PluginAppConfig(AppConfig):
    """A throwaway app that plugs into the platform the way a new domain app would."""

    name = "tests.plugin_app"
    label = "plugin_app"
