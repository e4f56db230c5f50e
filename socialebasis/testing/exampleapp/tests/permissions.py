"""The example app's rows of the permission matrix (collected by testing.permission_matrix)."""

from socialebasis.testing.permission_matrix import FILES, HER_FILE, Entry

MATRIX = {"exampleapp:notes": Entry(HER_FILE, note="example app: notes of a file", group=FILES)}
