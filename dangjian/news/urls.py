from django.urls import path

from dangjian.news import public_views, views
from dangjian.news.attention import views as attention
from dangjian.news.feeds import views as feeds

app_name = "news"

urlpatterns = [
    # the public site
    path("", public_views.public_list, name="public_list"),
    path("feed.xml", public_views.feed, name="feed"),
    path("category/<slug:category>/", public_views.public_category, name="public_category"),
    path("<int:article_id>/", public_views.public_article, name="public_article"),
    path(
        "<int:article_id>/attachments/<int:attachment_id>/",
        public_views.public_attachment,
        name="public_attachment",
    ),
    # readers signed in
    path("read/", views.reading, name="reading"),
    path("read/<int:article_id>/", views.read, name="read"),
    path("read/<int:article_id>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("subscription/", views.subscription, name="subscription"),
    path("subscription/cancel/", views.unsubscribe, name="unsubscribe"),
    path("read/<int:article_id>/like/", attention.like, name="like"),
    path("beacon/<int:article_id>/", attention.beacon, name="beacon"),
    # authors and reviewers
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.article_new, name="new"),
    path("manage/<int:article_id>/", views.review, name="review"),
    path("manage/<int:article_id>/edit/", views.article_edit, name="edit"),
    path("manage/<int:article_id>/submit/", views.submit, name="submit"),
    path("manage/<int:article_id>/approve/", views.approve, name="approve"),
    path("manage/<int:article_id>/return/", views.return_, name="return"),
    path("manage/<int:article_id>/withdraw/", views.withdraw, name="withdraw"),
    path("manage/<int:article_id>/attachments/", views.attachment_add, name="attachment_add"),
    path(
        "manage/<int:article_id>/attachments/<int:attachment_id>/remove/",
        views.attachment_remove,
        name="attachment_remove",
    ),
    # 智能整理: the school's feed sources and the editors' queue (news.feeds)
    path("feeds/", feeds.queue, name="feed_queue"),
    path("feeds/sources/", feeds.sources, name="feed_sources"),
    path("feeds/sources/new/", feeds.source_new, name="feed_source_new"),
    path("feeds/sources/<int:feed_source_id>/", feeds.source, name="feed_source"),
    path("feeds/sources/<int:feed_source_id>/edit/", feeds.source_edit, name="feed_source_edit"),
    path("feeds/sources/<int:feed_source_id>/fetch/", feeds.source_fetch, name="feed_source_fetch"),
    path("feeds/items/<int:feed_item_id>/ignore/", feeds.item_ignore, name="feed_item_ignore"),
    path("feeds/items/<int:feed_item_id>/republish/", feeds.item_republish, name="feed_item_republish"),
    # 阅读关注度 (counts only)
    path("attention/", attention.overview, name="attention"),
    path("attention/org/<int:org_id>/", attention.org_overview, name="attention_org"),
    path("attention/<int:article_id>/", attention.article, name="attention_article"),
]
