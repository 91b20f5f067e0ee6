from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = "互动交流"

    def ready(self) -> None:
        from gongkai.core import navigation, workbench
        from gongkai.interaction.workbench import mailbox_queues

        navigation.register(
            navigation.NavEntry(
                "互动交流", "interaction:staff_home", "interaction.handle", order=60
            )
        )
        workbench.register(mailbox_queues, order=60)
