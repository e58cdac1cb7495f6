from django.apps import AppConfig
from django.db.models.signals import post_delete, pre_delete


class AccountsConfig(AppConfig):
    name = "practica.accounts"
    label = "accounts"

    def ready(self) -> None:
        from practica.accounts import services
        from practica.accounts.models import User

        # Counters kept on rows a cascade from a deleted account changes.
        pre_delete.connect(
            services.before_user_delete,
            sender=User,
            dispatch_uid="accounts.endorsements.before",
        )
        post_delete.connect(
            services.after_user_delete,
            sender=User,
            dispatch_uid="accounts.endorsements.after",
        )
