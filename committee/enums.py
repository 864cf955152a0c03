from django.db import models


class SessionStatus(models.TextChoices):
    PLANNED = "planned", "Planifiée"
    CONVENED = "convened", "Convoquée"
    HELD = "held", "Tenue"
    VALIDATED = "validated", "Procès-verbal validé"


class Attendance(models.TextChoices):
    # For women and men alike, as in any attendance list of minutes.
    INVITED = "invited", "Convoqué(e)"
    PRESENT = "present", "Présent(e)"
    EXCUSED = "excused", "Excusé(e)"
    ABSENT = "absent", "Absent(e)"


class ItemKind(models.TextChoices):
    NEW_SITUATION = "new_situation", "Situation présentée par le bailleur"
    ACCESS_CANDIDATE = "access_candidate", "Candidature à l'accès présentée par un partenaire"
    DIAGNOSTIC = "diagnostic", "Partage du diagnostic"
    CALIBRATION = "calibration", "Calibrage de la mesure"
    EVALUATION = "evaluation", "Évaluation"
    CLOSURE = "closure", "Clôture"
    OTHER = "other", "Autre"


class DecisionKind(models.TextChoices):
    ORIENT = "orient", "Orientation vers une association"
    CALIBRATE = "calibrate", "Calibrage de la mesure"
    EXTEND = "extend", "Prolongation"
    ADJUST = "adjust", "Ajustement"
    CLOSE = "close", "Clôture"
    DEFER = "defer", "Report à la prochaine séance"
    NOT_RETAINED = "not_retained", "Non retenu"
