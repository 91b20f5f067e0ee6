def provider(request):
    return []
