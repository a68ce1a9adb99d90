"""/ping, the benchmark's ceiling: the cheapest answer the whole stack can give."""

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_ping_answers_ok_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("ping"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
