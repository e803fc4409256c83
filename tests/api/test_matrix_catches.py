"""The API half of the permission matrix must be able to fail: an API view that forgot the
role table (any signed-in caller may POST to it) is reported for each caller."""

import pytest
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.views import APIView

from tests.metbudget.permission_matrix import api_violations, pages


class ForgotTheRoles(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response({})

    def post(self, request):
        return Response({"saved": True})


api_urls = ([path("oops/", login_not_required(ForgotTheRoles.as_view()), name="oops")], "api")
urlpatterns = [path("api/v1/", include(api_urls))]


@pytest.mark.urls(__name__)
def test_matrix_catches_an_api_write_without_the_role_table(committee_user):
    client = APIClient()
    client.force_login(committee_user)
    found = api_violations({"committee": (committee_user, client)}, pages(urlconf=__name__))
    assert found == ["committee POST /api/v1/oops/ (api:oops) gave 200, not [405]"]
