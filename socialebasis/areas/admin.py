from django.contrib import admin

from socialebasis.areas.models import District, Municipality, Neighbourhood


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province_name", "residents"]
    search_fields = ["code", "name"]
    exclude = ["geometry"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality", "residents"]
    search_fields = ["code", "name"]
    list_select_related = ["municipality"]
    exclude = ["geometry"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "residents", "centroid_source"]
    search_fields = ["code", "name"]
    list_select_related = ["district"]
    exclude = ["geometry"]
