"""HTTP endpoints for the introduction domain."""

from fastapi import APIRouter

router = APIRouter()
