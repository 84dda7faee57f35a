import pytest

from accounts.models import Role
from config.pagination import MAX_PAGE_SIZE
from tests.factories import MembershipFactory


@pytest.mark.django_db
class TestPagination:
    @pytest.mark.parametrize("size", ["0", str(MAX_PAGE_SIZE + 1), "10000000000", "ten", "-1"])
    def test_page_size_outside_the_limit_is_400(self, admin_client, size):
        response = admin_client.get(f"/api/v1/members/?page_size={size}")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "page_size"

    @pytest.mark.parametrize("page", ["0", "-3", "abc", "9" * 40, "³", "²"])
    def test_malformed_page_is_400(self, admin_client, page):
        assert admin_client.get(f"/api/v1/members/?page={page}").status_code == 400

    def test_page_past_the_end_is_404(self, admin_client):
        assert admin_client.get("/api/v1/members/?page=999").status_code == 404

    def test_maximum_page_size_is_honoured(self, admin_client):
        response = admin_client.get(f"/api/v1/members/?page_size={MAX_PAGE_SIZE}")
        assert response.status_code == 200

    def test_list_query_count_does_not_grow_with_page_size(
        self, admin_client, organization, count_queries
    ):
        MembershipFactory.create_batch(30, organization=organization, role=Role.VIEWER)
        admin_client.get("/api/v1/members/?page_size=1")  # warm: token last_used_at write
        with count_queries() as small:
            assert admin_client.get("/api/v1/members/?page_size=1").status_code == 200
        with count_queries() as large:
            response = admin_client.get("/api/v1/members/?page_size=31")
        assert len(response.json()["results"]) == 31
        assert len(small) == len(large)
