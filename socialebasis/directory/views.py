"""Pages of the social map."""

from django.shortcuts import render


def home(request):
    """Home: one search box (what + where)."""
    return render(request, "directory/home.html", {})
