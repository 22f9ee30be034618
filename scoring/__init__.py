"""The scoring engine: plain data in, plain results out. No Django import anywhere in this package.

Official scores use `decimal.Decimal` with the framework's rounding policy; batch analysis over
many draws uses numpy.
"""
