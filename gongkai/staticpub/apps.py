from django.apps import AppConfig


class StaticpubConfig(AppConfig):
    name = "gongkai.staticpub"
    label = "staticpub"
    verbose_name = "静态发布"

    def ready(self) -> None:
        from gongkai.catalog.publishing import on_item_changed, on_item_changing
        from gongkai.staticpub import publisher

        # The pages to rewrite are queued in the change's own transaction (so a crash right
        # after commit loses nothing); after commit a withdrawn item's files go at once and the
        # thread rewrites the rest.
        # Registered always; they do nothing while STATIC_PUBLISH_DIR is empty.
        on_item_changing(publisher.item_changing)
        on_item_changed(publisher.item_changed)
