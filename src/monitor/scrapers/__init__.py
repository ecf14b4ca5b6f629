"""The Scrapy project of visa-monitor: spiders, items and pipelines."""
