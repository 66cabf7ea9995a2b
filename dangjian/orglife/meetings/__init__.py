"""组织生活 proper: plans (制定, 审核), meetings (通知, 请假, 签到, 纪要, 归档, 更正) and QR check-in."""
