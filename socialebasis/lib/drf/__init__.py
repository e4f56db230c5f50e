"""DRF plumbing shared by the APIs of every layer (model-free): pagination, query parameters,
the error schemas of the OpenAPI document and the throttles. The API itself (routers, HSDS)
is ``socialebasis.api``, the top layer."""
