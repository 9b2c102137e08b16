"""Phone numbers as offices write them, and head-counts no one could mean."""

import pytest
from django.core.exceptions import ValidationError

from shouwang.core.validators import head_count, validate_phone

GOOD = ["13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "021-50001110", "(021)50001110",
        "0571-8888888", "021-50001110转123", "110", "12345", "400-820-8820", "13812345678 / 021-50001110",
        "１３８１２３４５６７８", ""]
BAD = ["021-1", "12345678", "2", "abc", "1381234567", "23812345678", "021-5000111099999", "13812345678/021"]


@pytest.mark.parametrize("value", GOOD)
def test_phone_accepted(value):
    validate_phone(value)


@pytest.mark.parametrize("value", BAD)
def test_phone_refused_with_the_number_named(value):
    with pytest.raises(ValidationError) as caught:
        validate_phone(value)
    assert "area code" in str(caught.value.messages[0]) or "区号" in str(caught.value.messages[0])


def test_head_count_names_the_limit():
    head_count(10000)(10000)
    with pytest.raises(ValidationError) as caught:
        head_count(10000)(10001)
    assert "10000" in caught.value.messages[0] and "10001" in caught.value.messages[0]


@pytest.mark.django_db
def test_api_answers_400_naming_the_phone_field(api, org):
    response = api(org.user("office")).post("/api/contacts/", {"jurisdiction": org.c1.pk, "label": "值班室",
                                                               "phone": "12345678"}, format="json")
    assert response.status_code == 400 and "phone" in response.json()
