"""What the plans pages share."""


class NoDeletePage:
    """A detail page of a record without a delete page (and, `editable = False`, without an edit page)."""

    editable = True

    def url_name(self, suffix):
        if suffix == "delete" or (suffix == "edit" and not self.editable):
            suffix = "detail"
        return super().url_name(suffix)
