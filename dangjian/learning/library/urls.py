"""The 学习库's pages, mounted under ``learning/library/`` by ``learning.urls``."""

from django.urls import path

from dangjian.learning.library import views_courses, views_materials, views_plans, views_reading

urlpatterns = [
    path("library/", views_reading.library, name="library"),
    path("library/materials/new/", views_materials.material_new, name="material_new"),
    path("library/materials/<int:material_id>/", views_reading.material_detail, name="material"),
    path("library/materials/<int:material_id>/file", views_reading.material_file, name="material_file"),
    path("library/materials/<int:material_id>/edit/", views_materials.material_edit, name="material_edit"),
    path(
        "library/materials/<int:material_id>/publish/",
        views_materials.material_publish,
        name="material_publish",
    ),
    path("library/courses/", views_reading.course_list, name="courses"),
    path("library/courses/new/", views_courses.course_new, name="course_new"),
    path("library/courses/<int:course_id>/", views_reading.course_detail, name="course"),
    path("library/courses/<int:course_id>/edit/", views_courses.course_edit, name="course_edit"),
    path("library/courses/<int:course_id>/publish/", views_courses.course_publish, name="course_publish"),
    path("library/courses/<int:course_id>/lessons/new/", views_courses.lesson_new, name="lesson_new"),
    path("library/lessons/<int:lesson_id>/progress/", views_reading.lesson_progress, name="lesson_progress"),
    path("library/lessons/<int:lesson_id>/remove/", views_courses.lesson_remove, name="lesson_remove"),
    path("library/lessons/<int:lesson_id>/move/", views_courses.lesson_move, name="lesson_move"),
    path("library/plans/", views_plans.plan_list, name="study_plans"),
    path("library/plans/new/", views_plans.plan_new, name="study_plan_new"),
    path("library/plans/<int:study_plan_id>/", views_plans.plan_detail, name="study_plan"),
    path("library/plans/<int:study_plan_id>/export.xlsx", views_plans.plan_export, name="study_plan_export"),
]
