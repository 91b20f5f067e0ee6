from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from gongkai.core.navigation import staff_menu


def site(request: HttpRequest) -> dict[str, Any]:
    return {
        "site_footer": {
            "organiser": settings.SITE_ORGANISER,
            "id_code": settings.SITE_ID_CODE,
            "icp": settings.SITE_ICP,
            "psb": settings.SITE_PSB,
        },
        # Lazy: only staff pages render the menu, and only then do we query roles.
        "staff_menu": lambda: staff_menu(request),
    }
