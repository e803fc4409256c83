"""Views arrive with the pages that use them."""
