"""The built-in loopback simulator of VNPost's API (a test system, never in production): mounted at
``/lien-thong/vnpost-sandbox/`` only with ``MOTCUA_VNPOST_SANDBOX``.

It speaks shared/domain/national-systems.md §5.6: ``POST token`` (client credentials, Basic
auth with the simulator's key and secret) hands out bearer tokens; ``POST order/post`` checks
the order (customer code, a new order number, sender and receiver with province codes, a
receiver name and address) and answers ``{Status: "100", Message}`` or a refusal
(``{Status: "102"…}``); ``GET order/cancel`` cancels one not yet delivered; ``GET
order/tracking?pagesize=&lastId=`` is RESTHeart-shaped. Each order moves one tracking step
(1 received, 2 picked up, 3 on its way, 4 delivered) each time the feed is read, so the demo
shows a delivery to the end; ``advance(order_number, status)`` sets it. Its state is in its own
tables; a refusal is injected with ``SandboxPostalFault``.
"""
