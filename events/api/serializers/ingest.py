"""A new source from its article's text: what POST /sources/ takes besides the source's own fields."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from events.api.serializers.reference import SourceDetailSerializer
from events.articles import ARTICLE_MAX_CHARS, article_text_checked, article_text_from_file
from events.fuzzydates import edtf_bounds
from events.services.ingest import source_ingest

# Read from the text: given along with it, they could only disagree with it.
FROM_THE_TEXT = ("sha256", "paragraphs")


class SourceCreateSerializer(SourceDetailSerializer):
    """A source described field by field, or made from its article: `text`, or a .txt or .html `file` (as
    multipart/form-data). From the text come its sha256, its paragraphs and, where the text states it, its date
    (else give `published`, one day); its title defaults to the first line. The candidate claims found in the text
    wait for curators' review; the text itself is not kept."""

    text = serializers.CharField(
        write_only=True,
        required=False,
        trim_whitespace=False,
        max_length=ARTICLE_MAX_CHARS,
        help_text="The article's text, one paragraph a line.",
    )
    file = serializers.FileField(
        write_only=True,
        required=False,
        help_text="The article as a .txt (UTF-8) or .html file (its text extracted from the page).",
    )

    class Meta(SourceDetailSerializer.Meta):
        fields = [*SourceDetailSerializer.Meta.fields, "text", "file"]
        extra_kwargs = {"slug": {"required": False}, "title": {"required": False}, "sha256": {"required": False}}

    def validate(self, attrs):
        text, upload = attrs.pop("text", None), attrs.pop("file", None)
        if text is not None and upload is not None:
            raise serializers.ValidationError({"file": ["Give the text or a file, not both."]})
        try:
            if upload is not None:
                text = article_text_from_file(name=upload.name, content=upload.read())
            elif text is not None:
                text = article_text_checked(text)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"file" if upload is not None else "text": exc.messages}) from exc
        if text is None:
            missing = {name: ["This field is required."] for name in ("slug", "title", "sha256") if not attrs.get(name)}
            if missing:
                raise serializers.ValidationError(missing)
            return super().validate(attrs)
        given = [name for name in FROM_THE_TEXT if name in attrs]
        if given:
            raise serializers.ValidationError({name: ["Read from the text: leave it out."] for name in given})
        attrs["article_text"] = text
        return attrs

    def create(self, validated_data):
        text = validated_data.pop("article_text", None)
        if text is None:
            return super().create(validated_data)
        edtf = validated_data.pop("published_edtf", "")
        validated_data.pop("published_text", None)
        try:
            source, _ = source_ingest(text=text, published=_one_day(edtf), **validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return source


def _one_day(edtf: str):
    if not edtf:
        return None
    bounds = edtf_bounds(edtf)
    if bounds.earliest is None or bounds.earliest != bounds.latest:
        raise serializers.ValidationError({"published": ["Give the day the article was published, e.g. 2026-02-16."]})
    return bounds.earliest
