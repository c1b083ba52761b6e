from django.urls import include, path

from hyrkoll.governance import views_plans as plans
from hyrkoll.governance import views_registers as registers

app_name = "governance"

urlpatterns = [
    # catalogue and national overview
    path("measures/", plans.catalogue, name="catalogue"),
    path("measures/new/", plans.MeasureCreateView.as_view(), name="measure_create"),
    path("measures/<int:pk>/edit/", plans.MeasureUpdateView.as_view(), name="measure_edit"),
    path("measures/overview/", plans.overview, name="overview"),
    # action plans
    path("plans/", plans.plan_list, name="plans"),
    path("plans/new/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.PlanUpdateView.as_view(), name="plan_edit"),
    path(
        "plans/<int:plan_pk>/measures/new/", plans.PlanMeasureCreateView.as_view(), name="plan_measure_create"
    ),
    path("plan-measures/<int:pk>/edit/", plans.PlanMeasureUpdateView.as_view(), name="plan_measure_edit"),
    path("plan-measures/<int:pk>/effect/", plans.EffectUpdateView.as_view(), name="plan_measure_effect"),
    path(
        "plan-measures/<int:measure_pk>/sub-goals/new/",
        plans.SubGoalCreateView.as_view(),
        name="sub_goal_create",
    ),
    path("sub-goals/<int:pk>/edit/", plans.SubGoalUpdateView.as_view(), name="sub_goal_edit"),
    # registers
    path("registers/hiring-stops/", registers.hiring_stops, name="hiring_stops"),
    path("registers/dispensations/", registers.dispensations, name="dispensations"),
    # the steering group's decision log
    path("decisions/", registers.decision_list, name="decisions"),
    path("decisions/new/", registers.DecisionCreateView.as_view(), name="decision_create"),
    path("decisions/<int:pk>/edit/", registers.DecisionUpdateView.as_view(), name="decision_edit"),
    # joint procurement (hyrkoll.governance.urls_procurement)
    path("procurements/", include("hyrkoll.governance.urls_procurement")),
]
