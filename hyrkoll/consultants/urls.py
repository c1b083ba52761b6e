app_name = "consultants"
urlpatterns: list = []
