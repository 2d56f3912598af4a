def inbox(request):
    """The unread count shown in the navigation bar, computed only when a template asks."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def unread():
        return user.notifications.filter(read_at__isnull=True).count()

    return {"unread_notifications": unread}
