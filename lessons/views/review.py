"""Teacher review: the progress grid, the review screen and the exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse


def _not_yet(request, pk):
    raise Http404


progress = login_required(_not_yet)
return_all = login_required(_not_yet)
export_csv = login_required(_not_yet)
gradebook = login_required(_not_yet)
response_review = login_required(_not_yet)
comment_bank_delete = login_required(_not_yet)


@login_required
def comment_bank_add(request):
    raise Http404


__all__ = ["HttpResponse"]
