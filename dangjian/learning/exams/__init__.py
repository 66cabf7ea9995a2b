"""随堂测试 and exams: the question bank, quizzes with rules for random papers, attempts and results."""
