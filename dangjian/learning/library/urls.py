"""The 学习库's pages, mounted under ``learning/library/`` by ``learning.urls``."""

from django.urls import path

from dangjian.learning.library import views

urlpatterns = [
    path("library/", views.library, name="library"),
    path("library/materials/new/", views.material_new, name="material_new"),
    path("library/materials/<int:material_id>/", views.material_detail, name="material"),
    path("library/materials/<int:material_id>/file", views.material_file, name="material_file"),
    path("library/materials/<int:material_id>/edit/", views.material_edit, name="material_edit"),
    path("library/materials/<int:material_id>/publish/", views.material_publish, name="material_publish"),
    path("library/courses/", views.course_list, name="courses"),
    path("library/courses/new/", views.course_new, name="course_new"),
    path("library/courses/<int:course_id>/", views.course_detail, name="course"),
    path("library/courses/<int:course_id>/edit/", views.course_edit, name="course_edit"),
    path("library/courses/<int:course_id>/publish/", views.course_publish, name="course_publish"),
    path("library/courses/<int:course_id>/lessons/new/", views.lesson_new, name="lesson_new"),
    path("library/lessons/<int:lesson_id>/progress/", views.lesson_progress, name="lesson_progress"),
    path("library/lessons/<int:lesson_id>/remove/", views.lesson_remove, name="lesson_remove"),
    path("library/lessons/<int:lesson_id>/move/", views.lesson_move, name="lesson_move"),
    path("library/plans/", views.plan_list, name="study_plans"),
    path("library/plans/new/", views.plan_new, name="study_plan_new"),
    path("library/plans/<int:study_plan_id>/", views.plan_detail, name="study_plan"),
    path("library/plans/<int:study_plan_id>/export.xlsx", views.plan_export, name="study_plan_export"),
]
