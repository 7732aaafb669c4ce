"""Take new snapshots: `opentrends update`, the Hugging Face Hub client and the Hub captures (huggingface_hub)."""
