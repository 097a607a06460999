"""Trợ lý thủ tục hành chính: tells citizens how to get an administrative procedure done."""
