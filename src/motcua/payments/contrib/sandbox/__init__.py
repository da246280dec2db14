"""The built-in VNPay-compatible sandbox gateway: a test gateway, no real money (never in production).

Mounted at ``/thanh-toan/sandbox/`` only when ``MOTCUA_PAYMENT_SANDBOX`` is true. It speaks
VNPay 2.1.0: it accepts the signed payment URL, shows a payment page, then notifies the
merchant's IPN server to server and sends the browser back with a signed return URL.
"""
