"""Spiders of the visa-monitor Scrapy project."""
