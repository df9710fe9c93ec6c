"""HTTP endpoints for the stats domain."""

from fastapi import APIRouter

router = APIRouter()
