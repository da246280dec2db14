from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("national", "0004_vnpost"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboxitem",
            name="in_doubt",
            field=models.BooleanField(
                default=False,
                help_text="Đã gửi tiến độ mà chưa ghi nhận được trả lời (mất kết nối, tiến trình dừng): lần gửi sau tra cứu "
                          "Cổng DVCQG trước để không gửi trùng.",
                verbose_name="có thể cổng đã nhận thêm"),
        ),
    ]
