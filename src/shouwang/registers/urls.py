from django.urls import path

from shouwang.core.views.base import crud_urls

from .views import excel, ledger, maps, places, wall, words

app_name = "registers"

urlpatterns = [
    *crud_urls("places", "keyplace", list=places.KeyPlaceListView, detail=places.KeyPlaceDetailView,
               create=places.KeyPlaceCreateView, edit=places.KeyPlaceUpdateView, delete=places.KeyPlaceDeleteView),
    path("places/<int:pk>/review/", places.ReviewPlaceView.as_view(), name="keyplace_review"),
    path("places/<int:pk>/colour/", places.SetColourView.as_view(), name="keyplace_colour"),
    path("places/<int:pk>/attachments/", places.AddAttachmentView.as_view(), name="keyplace_attachment"),
    path("attachments/<int:pk>/", places.download_attachment, name="attachment_download"),
    *crud_urls("defences", "defence", list=places.DefenceListView, detail=places.DefenceDetailView,
               create=places.DefenceCreateView, edit=places.DefenceUpdateView, delete=places.DefenceDeleteView),
    path("defences/<int:pk>/check/", places.CheckDefenceView.as_view(), name="defence_check"),
    *crud_urls("stock", "hazardousstock", list=places.StockListView, detail=places.StockDetailView,
               create=places.StockCreateView, edit=places.StockUpdateView, delete=places.StockDeleteView),
    path("stock/<int:pk>/move/", places.AddMovementView.as_view(), name="hazardousstock_move"),
    path("wall/", wall.wall, name="wall"),
    path("map/", maps.map_view, name="map"),
    path("places.geojson", maps.geojson, name="geojson"),
    path("ledger/", ledger.ledger, name="ledger"),
    path("ledger.docx", ledger.ledger_docx, name="ledger_docx"),
    path("export.xlsx", excel.export, name="export"),
    path("import/", excel.import_upload, name="import"),
    path("import/<str:token>/", excel.import_preview, name="import_preview"),
    *crud_urls("words", "categoryword", list=words.CategoryWordListView, create=words.CategoryWordCreateView,
               edit=words.CategoryWordUpdateView, delete=words.CategoryWordDeleteView),
]
