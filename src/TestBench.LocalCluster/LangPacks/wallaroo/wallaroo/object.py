"""``wallaroo.object``: the SDK's exception for a name that finds nothing (pipelines, models, workspaces), which
orchestrations catch; nothing here raises it, since none of those objects is emulated."""


class EntityNotFoundError(Exception):
    """An entity (pipeline, model, workspace, ...) the request named does not exist."""

    def __init__(self, entity_type="entity", params=None):
        super().__init__(f"{entity_type} not found: {params!r}")
        self.entity_type = entity_type
        self.params = params
