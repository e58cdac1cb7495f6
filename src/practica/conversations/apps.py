from django.apps import AppConfig
from django.db.models.signals import post_delete, pre_delete


class ConversationsConfig(AppConfig):
    name = "practica.conversations"
    label = "conversations"

    def ready(self) -> None:
        from practica.accounts.models import User
        from practica.conversations import services

        # Scores a cascade from a deleted account's votes changes.
        pre_delete.connect(
            services.before_user_delete,
            sender=User,
            dispatch_uid="conversations.votes.before",
        )
        post_delete.connect(
            services.after_user_delete,
            sender=User,
            dispatch_uid="conversations.votes.after",
        )
