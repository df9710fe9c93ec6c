"""HTTP endpoints for the lead domain."""

from fastapi import APIRouter

router = APIRouter()
