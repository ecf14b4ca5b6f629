"""Alembic environment: migrations run on the engine the store hands over."""

from alembic import context
from sqlalchemy import create_engine

from monitor.store.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    engine = context.config.attributes.get("engine")
    if engine is None:
        engine = create_engine(context.config.get_main_option("sqlalchemy.url"))
    with engine.begin() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        context.run_migrations()


run_migrations()
