from django.urls import path

from shouwang.core.views.base import crud_urls

from .views import excel, ledger, maps, places, wall

app_name = "registers"

urlpatterns = [
    *crud_urls("places", "keyplace", *places.KEYPLACE_VIEWS),
    path("places/<int:pk>/review/", places.review, name="keyplace_review"),
    path("places/<int:pk>/colour/", places.set_colour, name="keyplace_colour"),
    path("places/<int:pk>/attachments/", places.add_attachment, name="keyplace_attachment"),
    path("attachments/<int:pk>/", places.download_attachment, name="attachment_download"),
    *crud_urls("defences", "defence", *places.DEFENCE_VIEWS),
    path("defences/<int:pk>/check/", places.check_defence, name="defence_check"),
    *crud_urls("stock", "hazardousstock", *places.STOCK_VIEWS),
    path("stock/<int:pk>/move/", places.add_movement, name="hazardousstock_move"),
    path("wall/", wall.wall, name="wall"),
    path("map/", maps.map_view, name="map"),
    path("places.geojson", maps.geojson, name="geojson"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("ledger.docx", ledger.ledger_docx, name="ledger_docx"),
    path("export.xlsx", excel.export, name="export"),
    path("import/", excel.import_upload, name="import"),
    path("import/<str:token>/", excel.import_preview, name="import_preview"),
]
