"""Compliance of 组织生活: the statistics (达标矩阵, 出勤, 党课与双重组织生活), their Excel exports and the
absence warnings (连续未参加组织生活预警)."""
