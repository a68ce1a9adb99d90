"""Teacher review: progress grid, one-answer review screen, exports."""

from django.urls import path

from .views import review

app_name = "review"

urlpatterns = [
    path("teach/assignments/<int:pk>/", review.progress, name="progress"),
    path("teach/assignments/<int:pk>/return-all/", review.return_all, name="return_all"),
    path("teach/assignments/<int:pk>/export.csv", review.export_csv, name="export_csv"),
    path("teach/classes/<int:pk>/gradebook.csv", review.gradebook, name="gradebook"),
    path("teach/responses/<int:pk>/", review.response_review, name="response"),
    path("teach/comment-bank/", review.comment_bank_add, name="comment_bank_add"),
    path("teach/comment-bank/<int:pk>/delete/", review.comment_bank_delete, name="comment_bank_delete"),
]
