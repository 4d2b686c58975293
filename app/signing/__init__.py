"""Ký số: PAdES signatures on the PDFs TapHuan writes (pyHanko), with the key from a .p12/.pfx
file or a USB token through PKCS#11. No Qt, no database: bytes in, signed bytes out."""
