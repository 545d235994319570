"""Applications: the series' MNIST recipes, the `nnlib-mnist` command, the drawing pad's model.

- `recipes`: `RECIPE` (the MLP of notebook 12), `CNN_RECIPE` (the CNN of notebook 14), `cnn`,
  and `train_mnist`, which trains one with `fit(..., fast=True)`;
- `cli`: the `nnlib-mnist` command line (checks every path before it trains);
- `pad_model`: which trained model the drawing pad of notebook 13 reads with.

Applications put the textbook, the data sets and the speed twins to work; nothing below them
imports them (ARCHITECTURE.md).
"""

from . import pad_model, recipes
from .recipes import CNN_RECIPE, RECIPE, Recipe, cnn, describe_recipe, train_mnist

__all__ = ["recipes", "pad_model", "Recipe", "RECIPE", "CNN_RECIPE", "cnn", "describe_recipe",
           "train_mnist"]
