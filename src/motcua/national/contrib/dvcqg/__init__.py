"""The national public-service portal (Cổng Dịch vụ công quốc gia, DVCQG): outbound sync of
dossiers and their progress, inbound dossiers, ratings (shared/domain/national-systems.md §1)."""
