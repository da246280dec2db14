"""VNPost, the public postal service (bưu chính công ích): results delivered and papers collected
by post (shared/domain/national-systems.md §2). See ``orders.py``."""
