"""党校学习库: materials (documents, articles, audio, video, links), online courses made of them, study
plans assigning courses to an organization's members; a finished course writes one ledger row."""
