"""The privacy app has no models of its own: it holds the registries (consent purposes,
retention policies, data-subject sections, subject types) and the engines that walk them.
Consent rows live with the resident's file (``residents.models.Consent``)."""
