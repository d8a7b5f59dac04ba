from django.test import Client


def test_login_page_is_served_in_chinese(client: Client, db: None) -> None:
    response = client.get("/login/")
    assert response.status_code == 200
    assert "工作人员登录" in response.content.decode()


def test_health_check_answers_when_the_database_does(client: Client, db: None) -> None:
    response = client.get("/healthz")
    assert response.json() == {"status": "ok"}
