"""The public rating form of a project (群众评单/验单)."""

from django.utils.translation import gettext_lazy as _

from xinsheng.core import ratings


class ProjectRatingForm(ratings.RatingForm):
    """An employee's judgement of a project's result; nothing about them is asked."""

    satisfaction = ratings.satisfaction_field(_("您对项目办理结果是否满意"))
    # A comment too long gets Django's own message here, as it always has.
    comment = ratings.comment_field(too_long=None)
