"""Who may see what: roles and what each sees (`roles`), signed links (`links`), and
small-number suppression for trustee views (`suppression`)."""
