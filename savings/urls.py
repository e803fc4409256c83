app_name = "savings"

urlpatterns: list = []
