"""The static verification site (trang tra cứu): plain data in, files out.

No database and no Qt: app.services.verify_publish reads what is public about each
certificate (records.PublicRecord); this package writes the folder a department copies
onto any static web host: index.html with its own CSS and JS, and one small JSON file a
certificate named by the SHA-256 of its verification code (site.py); publishing writes a
whole new folder beside the old one, compares the two and swaps them (publish.py).
"""
