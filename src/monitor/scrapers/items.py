"""What a spider hands to the pipelines: one fetched (or failed) page."""

import scrapy


class PageItem(scrapy.Item):
    program_id = scrapy.Field()
    url = scrapy.Field()  # the final URL, after redirects
    status = scrapy.Field()  # HTTP status, None when no response came
    own = scrapy.Field()  # inside the program's scope (not an institution-wide page)
    depth = scrapy.Field()
    body = scrapy.Field()  # decoded HTML or text; dropped once classified
    content_type = scrapy.Field()
    error = scrapy.Field()  # why the page could not be fetched, else None
    # Filled in by the spider's page readers (`read`), else by ClassifyPipeline:
    text = scrapy.Field()
    verdict = scrapy.Field()
    read = scrapy.Field()
    # Re-checking cheaply (monitor.store.validators):
    etag = scrapy.Field()
    last_modified = scrapy.Field()
    body_sha256 = scrapy.Field()
    unchanged = scrapy.Field()  # 304, or the body hash the store holds
    links = scrapy.Field()  # policy-like links followed from it, best first
    text_sha256 = scrapy.Field()  # set when the stored reading is reused
    reused = scrapy.Field()
